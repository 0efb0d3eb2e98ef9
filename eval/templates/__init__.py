"""Generator families built from published blank templates of performance-goal forms (jixiao eval --templates)."""
