"""Text helpers every stage shares: heading trees and section spans, sentences, name matching
with offsets."""
