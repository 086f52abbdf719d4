// hello-lambda: the function of the DEV/PROD walkthrough. Returns AWS's console greeting, and
// says which version of the function answered (the alias of each stage picks it).
export const handler = async (event) => {
  const version = process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST';
  console.log(`stage=${event?.requestContext?.stage ?? '-'} version=${version}`);
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json', 'X-Function-Version': version },
    body: JSON.stringify(process.env.GREETING ?? 'Hello from Lambda!'),
  };
};
