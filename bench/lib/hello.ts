// The function every target serves: a Node.js handler answering a short text body, as an API
// Gateway proxy response. The bare Node server answers the same body with the same header.
export const HELLO_BODY = 'Hello from Lambda!';
export const HELLO_CONTENT_TYPE = 'text/plain';

/** CommonJS handler module source (index.js / handler.js), `handlerName` exported. */
export function helloHandlerSource(handlerName = 'handler', comment = ''): string {
  return [
    `// hello-lambda${comment ? ` (${comment})` : ''}`,
    `exports.${handlerName} = async () => ({ statusCode: 200, headers: { 'Content-Type': ${JSON.stringify(HELLO_CONTENT_TYPE)} }, body: ${JSON.stringify(HELLO_BODY)} });`,
    '',
  ].join('\n');
}
