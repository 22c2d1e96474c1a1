"""Template tags of the practice library."""
