"""Generated phone photos of the sample scans: seeded distortions, scored per kind against the flat scan."""
