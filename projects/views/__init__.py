"""The pages of the projects app, one module per part (projects, plans, mentors, models)."""
