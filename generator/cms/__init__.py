"""The browser editor: Decap CMS configuration, its local backend, and the bundle it needs."""
