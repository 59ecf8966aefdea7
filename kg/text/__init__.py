"""Text helpers every stage shares: heading trees and section spans, name matching with offsets."""
