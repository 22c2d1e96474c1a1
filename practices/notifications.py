"""E-mails about a practice's moderation, sent from Wagtail's workflow signals."""
