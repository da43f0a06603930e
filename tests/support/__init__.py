"""Helpers shared by the test folders: databases at the head revision, settings for a test."""
