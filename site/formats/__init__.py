"""The site's own date and time formats, where Django's differ from what European readers
expect (FORMAT_MODULE_PATH in the settings)."""
