"""The Qt desktop window over the studio's core."""
