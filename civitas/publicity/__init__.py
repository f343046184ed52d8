"""Publicity of projects and plans: events, materials and publications, and the events calendar."""
