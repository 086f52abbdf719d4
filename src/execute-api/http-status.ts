// Which statuses an answer may carry, and which answers carry a body. A 1xx status is an interim
// answer in HTTP/1.1: sent as the final one, 100 leaves the client waiting for another and 101
// tells it the connection now speaks another protocol. So a function, a mapping or a template
// that names one gets the 5xx a status out of range gets (Stagecraft's choice; AWS does not
// document it). 204 and 304 answers end at their headers (RFC 9110), whatever body came with them.

/** A status an HTTP answer can end with: an integer from 200 to 599. */
export const isFinalStatus = (status: number): boolean => Number.isInteger(status) && status >= 200 && status <= 599;

/** False for 204 and 304: no body, and no Content-Length (which a 204 must not carry and would announce bytes that never come). */
export const carriesBody = (status: number): boolean => status !== 204 && status !== 304;
