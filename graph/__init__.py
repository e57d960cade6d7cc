"""Facts to RDF, and RDF to Turtle, networkx and an HTML page."""
