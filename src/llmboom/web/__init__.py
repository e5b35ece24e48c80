"""The HTTP server (SPEC §9): thin Starlette handlers over the library.

`llmboom.web.app.create_app(project, settings)` builds the ASGI application; nothing is
loaded at import time. Heavy modules (starlette, uvicorn) are imported only by the server.
"""
