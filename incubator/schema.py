"""The OpenAPI schema, generated once per language and process rather than on every request.

The schema follows from the code alone (SERVE_PUBLIC: the same for every caller), so the
document generated first is served, in whichever format is asked for, until the process ends.
"""
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    _generated: dict = {}

    def _get_schema_response(self, request):
        key = (translation.get_language(), self.api_version or request.version)
        if key not in self._generated:
            self._generated[key] = super()._get_schema_response(request)
        response = self._generated[key]
        return Response(data=response.data, headers={"Content-Disposition": response["Content-Disposition"]})
