"""jixiao as a service: an HTTP API, an OpenAI-compatible chat endpoint and an MCP server over the use cases."""
