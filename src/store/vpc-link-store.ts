// VPC links of API Gateway: REST API links (v1, naming network load balancers) and HTTP API links
// (v2, naming subnets and security groups) are two namespaces of one account and region, kept in
// one table told apart by `kind`. A self-hosted server has no VPC: a link is a named record that
// private integrations must name, and the integration's URI is called directly. Implemented on
// SQLite and PostgreSQL (src/store/{sqlite,postgres}/vpc-link-store.ts).
import type { ApiScope } from './apigateway-store.js';

/** `rest`: CreateVpcLink of the apigateway API; `http`: CreateVpcLink of the apigatewayv2 API. */
export type VpcLinkKind = 'rest' | 'http';

export interface VpcLinkRecord extends ApiScope {
  kind: VpcLinkKind;
  id: string;
  name: string;
  description?: string;
  /** REST links: the network load balancers' ARNs (exactly one, as AWS allows). */
  targetArns: string[];
  /** HTTP API links: where AWS would place the link's network interfaces. */
  subnetIds: string[];
  securityGroupIds: string[];
  tags: Record<string, string>;
  /** Epoch milliseconds. */
  createdDate: number;
}

export interface VpcLinkStore {
  /** Inserts a link; false when its kind already has a link with that id in the scope. */
  createVpcLink(link: VpcLinkRecord): Promise<boolean>;
  getVpcLink(scope: ApiScope, kind: VpcLinkKind, id: string): Promise<VpcLinkRecord | undefined>;
  /** The scope's links of one kind, oldest first. */
  listVpcLinks(scope: ApiScope, kind: VpcLinkKind): Promise<VpcLinkRecord[]>;
  /** Replaces a link's fields (its id, kind and scope stay); false when there is no such link. */
  updateVpcLink(link: VpcLinkRecord): Promise<boolean>;
  deleteVpcLink(scope: ApiScope, kind: VpcLinkKind, id: string): Promise<boolean>;
}
