// websocket-echo: one function behind every route of a WebSocket API.
//   $connect   refuses a client without ?name=… (401), welcomes the others
//   echo       a two-way route: the answer's body goes back to the client
//   shout      answers through the @connections API, as backends written for AWS do
//   $default   a two-way route too: says which actions there are
//   $disconnect logs the close code and reason
const reply = async (connectionId, text) => {
  // Functions get the server's endpoint as AWS_ENDPOINT_URL; the @connections API is served there.
  const res = await fetch(`${process.env.AWS_ENDPOINT_URL}/@connections/${encodeURIComponent(connectionId)}`, { method: 'POST', body: text });
  if (res.status !== 200) throw new Error(`PostToConnection answered ${res.status}`);
};

export const handler = async (event) => {
  const { routeKey, connectionId } = event.requestContext;
  console.log(`${routeKey} ${connectionId}`);
  switch (routeKey) {
    case '$connect':
      return event.queryStringParameters?.name ? { statusCode: 200 } : { statusCode: 401, body: 'say who you are: ?name=…' };
    case '$disconnect':
      console.log(`closed: ${event.requestContext.disconnectStatusCode} ${event.requestContext.disconnectReason}`);
      return { statusCode: 200 };
    case 'echo':
      return { statusCode: 200, body: JSON.parse(event.body).text ?? '' };
    case 'shout':
      await reply(connectionId, String(JSON.parse(event.body).text ?? '').toUpperCase() + '!');
      return { statusCode: 200 };
    default:
      return { statusCode: 200, body: 'actions: echo, shout' };
  }
};
