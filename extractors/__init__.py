"""Text to facts: the French pipeline, the gazetteer and the rules that read relations."""
