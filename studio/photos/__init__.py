"""Photos attached to items: the library, drafts made from a shoot, and export."""
