"""Server-rendered pages for staff (Jinja), signed-in users only."""
