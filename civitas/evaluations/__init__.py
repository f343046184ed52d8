"""Evaluations by criteria (ex-ante, mid-term, ex-post, thematic) and their recommendations, followed to closure."""
