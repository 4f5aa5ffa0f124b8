"""The lobby-kiosk bundle: kiosk pages, the copied index, the launcher."""
