import type { DescService } from '@bufbuild/protobuf';

/** A ZITADEL service whose RPCs are served from the endpoints Tessera mounts at its REST prefix. */
export interface RpcService {
  /** The REST prefix ZITADEL's gateway serves the service under, e.g. /management/v1. */
  prefix: string;
  service: DescService;
}

/**
 * The services of the APIs Tessera implements, with their descriptors from @zitadel/proto: what
 * its SDKs send. Loaded on the first RPC only: the descriptors and Connect cost about 0.4 s and 36 MB, which a
 * node that only ever sees REST and OAuth should not pay (docs/benchmarks.md).
 */
export async function loadServices(): Promise<RpcService[]> {
  const [{ ManagementService }, { AdminService }, { AuthService }] = await Promise.all([
    import('@zitadel/proto/zitadel/management_pb.js'),
    import('@zitadel/proto/zitadel/admin_pb.js'),
    import('@zitadel/proto/zitadel/auth_pb.js'),
  ]);
  return [
    { prefix: '/management/v1', service: ManagementService },
    { prefix: '/admin/v1', service: AdminService },
    { prefix: '/auth/v1', service: AuthService },
  ];
}
