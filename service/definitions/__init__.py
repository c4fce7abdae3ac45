"""Deployed process definitions: parsed specs cached per version, and the forms they carry."""
