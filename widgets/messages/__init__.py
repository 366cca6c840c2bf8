"""Communicating with parents: a message checker, fillable templates and a communication plan."""
