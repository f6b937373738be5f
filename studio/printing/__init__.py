"""Printed documents, painted with QtGui onto any paged device (a printer or a PDF).

Every layout draws in points (1/72 in) from the page's top-left corner; the output module
sets devices to 72 dpi so that a point is a device unit, and adds the printer's calibration.
"""
