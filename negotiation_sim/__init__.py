"""negotiation-sim: multi-party diplomatic negotiations as agent-based models on Mesa."""
