"""The local and kiosk HTTP server with the search API and live reload."""
