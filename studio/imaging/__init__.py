"""Photo studio core: store, edit recipes, background removal, batches. No Qt here.

The UI and the command line import the submodules directly (`studio.imaging.store`,
`studio.imaging.render`, ...); importing this package loads nothing heavy.
"""
