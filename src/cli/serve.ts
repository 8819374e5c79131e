// Placeholder owned by the integrator: the server command.
export {}
