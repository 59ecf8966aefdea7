"""The linked-data routes mounted into ``kg serve`` (``create_app(endpoint, extra_routes=
linked_routes(publisher))``): the dataset's IRIs, /.well-known/void, query pages and, for GET
/sparql with an RDF Accept type and no query, the SPARQL 1.1 Service Description.

>>> app = create_app(endpoint, extra_routes=linked_routes(publisher))   # doctest: +SKIP
"""

from __future__ import annotations

from urllib.parse import parse_qs

__all__ = ["linked_routes"]

_PATHS = ("/.well-known/void", "/void", "/id/{rest:path}", "/doc/{rest:path}", "/dataset",
          "/dataset/{rest:path}", "/agent/{rest:path}", "/query", "/query/{rest:path}",
          "/view/{rest:path}")


def _response(answer):
    from starlette.responses import Response

    media = answer.media
    if media.startswith("text/") or media.endswith(("+json", "+xml", "n-triples")):
        media += "; charset=utf-8"
    return Response(answer.body, status_code=answer.status, media_type=media,
                    headers={"X-Content-Type-Options": "nosniff", **answer.headers})


def linked_routes(publisher) -> list:
    """Starlette routes answering through ``publisher`` (kg.site.publish.Publisher)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Route

    from kg.site.publish import negotiate_rdf
    from kg.sparql.server import sparql, text_response

    async def resource(request):
        params = parse_qs(request.url.query, keep_blank_values=True)
        answer = await run_in_threadpool(publisher.answer, request.url.path,
                                         request.headers.get("accept", ""), params)
        if answer is None:
            return text_response(404, f"not found: {request.url.path}")
        return _response(answer)

    async def sparql_or_description(request):
        params = parse_qs(request.url.query, keep_blank_values=True)
        if request.method in ("GET", "HEAD") and "query" not in params and "update" not in params:
            fmt = negotiate_rdf(request.headers.get("accept", ""), default="html")
            if fmt not in (None, "html"):
                base = publisher.base_url or str(request.base_url)
                endpoint = base.rstrip("/") + "/sparql"
                return _response(await run_in_threadpool(publisher.service, endpoint, fmt))
        return await sparql(request)

    every = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]
    return [Route("/sparql", sparql_or_description, methods=every),
            *(Route(path, resource, methods=["GET", "HEAD"]) for path in _PATHS)]
