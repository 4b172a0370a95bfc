// Placeholder: the foundation commit fills this in with the route registry.
export {};
