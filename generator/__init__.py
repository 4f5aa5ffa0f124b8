"""政府信息主动公开目录 static-site generator."""

__version__ = "0.1.0"
