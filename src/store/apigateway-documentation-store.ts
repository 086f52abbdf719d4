// The documentation of REST APIs: documentation parts (content attached to a location in an API)
// and documentation versions (immutable snapshots of an API's parts). Kept apart from the
// ApiGatewayStore because nothing on the request path reads it. Both belong to their REST API:
// deleting the API deletes them. Implemented on SQLite and PostgreSQL
// (src/store/{sqlite,postgres}/documentation-store.ts).

/** Where a part applies; fields a type does not take are absent, fields it takes are filled with their defaults. */
export interface DocumentationLocation {
  type: string;
  path?: string;
  method?: string;
  statusCode?: string;
  name?: string;
}

export interface DocumentationPartRecord {
  id: string;
  location: DocumentationLocation;
  /** The content map as the JSON text the caller gave. */
  properties: string;
}

export interface DocumentationVersionSummary {
  version: string;
  /** Epoch milliseconds. */
  createdDate: number;
  description?: string;
}

export interface DocumentationVersionRecord extends DocumentationVersionSummary {
  /** The API's parts when the version was created, oldest first; never modified. */
  parts: DocumentationPartRecord[];
}

/** The one key a location is unique by within its API (two parts never share a location). */
export const locationKey = (l: DocumentationLocation): string => JSON.stringify([l.type, l.path ?? null, l.method ?? null, l.statusCode ?? null, l.name ?? null]);

export interface DocumentationStore {
  /** The API's parts, oldest first. */
  listParts(apiId: string): Promise<DocumentationPartRecord[]>;
  getPart(apiId: string, id: string): Promise<DocumentationPartRecord | undefined>;
  /** Inserts a part; false when the API already has a part at its location (or one with its id). */
  createPart(apiId: string, part: DocumentationPartRecord): Promise<boolean>;
  /** Replaces a part's properties; false when there is no such part. */
  updatePart(apiId: string, id: string, properties: string): Promise<boolean>;
  deletePart(apiId: string, id: string): Promise<boolean>;
  /**
   * Writes parts in one transaction (an import): with `replaceAll` the API's other parts are
   * deleted first; a part whose id exists has its properties replaced, the others are inserted.
   */
  putParts(apiId: string, parts: DocumentationPartRecord[], replaceAll: boolean): Promise<void>;

  /** The API's versions, by version identifier. */
  listVersions(apiId: string): Promise<DocumentationVersionSummary[]>;
  getVersion(apiId: string, version: string): Promise<DocumentationVersionRecord | undefined>;
  /** Inserts a version; false when the API already has one with that identifier. */
  createVersion(apiId: string, version: DocumentationVersionRecord): Promise<boolean>;
  /** Sets or (undefined) clears the description; false when there is no such version. */
  updateVersionDescription(apiId: string, version: string, description: string | undefined): Promise<boolean>;
  deleteVersion(apiId: string, version: string): Promise<boolean>;
}
