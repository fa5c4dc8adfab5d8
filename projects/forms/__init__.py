"""The forms of the projects app's pages, one module per part (projects, plans, mentors, models)."""
