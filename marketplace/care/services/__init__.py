"""Care services: households (and their health notes), care requests, living teams."""
