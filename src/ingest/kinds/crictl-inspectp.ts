import { z } from 'zod';
import { obj } from '../docker/json.js';
import { Confidence, type Ingester } from '../types.js';
import { criNamespaceMode } from './crictl-inspect.js';

const CrictlInspectp = z.looseObject({
  status: z.looseObject({
    id: z.string(),
    metadata: z.looseObject({ name: z.string().nullish(), namespace: z.string().nullish(), uid: z.string().nullish() }).nullish(),
    state: z.string().nullish(),
    linux: z.unknown(),
  }),
  info: z.unknown(),
});

/** `crictl inspectp <pod-id>`: a pod sandbox, with the host namespaces it asks for. */
export const crictlInspectp: Ingester = {
  kind: 'crictl-inspectp',
  description: 'crictl inspectp (CRI pod sandbox status + info)',
  detect(head) {
    const status = obj(obj(head.wholeValue).status);
    if (typeof status.id === 'string' && typeof status.state === 'string') return /^SANDBOX_/.test(status.state) ? Confidence.CERTAIN : Confidence.NONE;
    return /"state"\s*:\s*"SANDBOX_/.test(head.text) ? Confidence.PLAUSIBLE : Confidence.NONE;
  },
  async ingest(source, ctx) {
    const text = await source.text();
    if (text === undefined) return ctx.problem('oversize', 'crictl inspectp output larger than the buffer limit');
    const parsed = CrictlInspectp.safeParse(JSON.parse(text));
    if (!parsed.success) return ctx.problem('schema', `not a crictl inspectp record: ${z.prettifyError(parsed.error).split('\n')[0]}`, '');
    const s = parsed.data.status;
    const info = obj(parsed.data.info);
    // status.linux.namespaces.options: enum names (NODE) in current crictl, hostNetwork booleans in old ones;
    // info.config.linux.security_context.namespace_options: numbers (NODE = 2).
    const statusOptions = obj(obj(obj(s.linux).namespaces).options);
    const configOptions = obj(obj(obj(obj(info.config).linux).security_context).namespace_options);
    const locators: Record<string, string> = {};
    const mode = (kind: 'network' | 'pid' | 'ipc', legacy: string): string | null => {
      if (statusOptions[kind] !== undefined) {
        locators[`${kind}_mode`] = `/status/linux/namespaces/options/${kind}`;
        return criNamespaceMode(statusOptions[kind]);
      }
      if (statusOptions[legacy] !== undefined) {
        locators[`${kind}_mode`] = `/status/linux/namespaces/options/${legacy}`;
        return statusOptions[legacy] === true ? 'host' : null;
      }
      if (configOptions[kind] !== undefined) {
        locators[`${kind}_mode`] = `/info/config/linux/security_context/namespace_options/${kind}`;
        return criNamespaceMode(configOptions[kind]);
      }
      return null;
    };
    ctx.db.insert('pod_sandboxes', {
      file_id: ctx.fileId,
      locator: '',
      sandbox_id: s.id,
      pod_name: s.metadata?.name ?? null,
      pod_namespace: s.metadata?.namespace ?? null,
      pod_uid: s.metadata?.uid ?? null,
      state: s.state ?? null,
      pid: typeof info.pid === 'number' ? info.pid : null,
      network_mode: mode('network', 'hostNetwork'),
      pid_mode: mode('pid', 'hostPid'),
      ipc_mode: mode('ipc', 'hostIpc'),
      image: typeof info.image === 'string' && info.image !== '' ? info.image : null,
      field_locators: locators,
    });
    ctx.progress(1);
  },
};
