"""The names of the staff groups. The groups are created by accounts' migration 0002; every
app that grants permissions or looks people up by role uses these constants."""

MODERATORS = "Moderators"
EDITORS = "Editors"
EXPERTS = "Experts"

ALL = (MODERATORS, EDITORS, EXPERTS)
