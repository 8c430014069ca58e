package data

// Placeholders replaced by the readers that own these types.
