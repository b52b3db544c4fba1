"""Readers, one per publisher format. Each turns a raw file into typed rows plus row issues."""
