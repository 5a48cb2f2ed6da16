"""The ground floor: what every app uses. `core` imports no other app of the project."""
