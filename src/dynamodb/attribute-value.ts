// DynamoDB's typed attribute values as they travel on the wire (AWS JSON 1.0): exactly one type
// key per value. Numbers travel as decimal strings (up to 38 significant digits), binaries as base64.
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: true }
  | { BOOL: boolean };

/** An item: attribute names to values. */
export type Item = Record<string, AttributeValue>;
