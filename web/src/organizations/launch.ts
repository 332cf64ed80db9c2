// Launch: an org-scoped session for one org's own console (POST .../launch). Its token goes
// into the HttpOnly mtp_launch cookie; the console at /org/:id sends X-MTP-Console: org.
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { useMe } from '../auth/session';

export function useLaunch() {
  const me = useMe();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async (o: { id: string; name: string }) => {
      await call(api.POST('/api/v2/providers/{pid}/organizations/{id}/launch', { params: { path: { pid: me.data?.provider ?? '', id: o.id } } }));
      return o;
    },
    onSuccess: (o) => {
      sessionStorage.setItem('mtp.console.name', o.name);
      navigate(`/org/${encodeURIComponent(o.id)}`);
    },
  });
}
