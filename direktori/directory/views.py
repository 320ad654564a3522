from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


home = search = area_index = area_detail = target_group_index = target_group_detail = _todo
organization_detail = service_detail = _todo
