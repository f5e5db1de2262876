"""Views of a result for people: what a report shows first, and how."""
