// OpenAPI documents with API Gateway's extensions, shared by the importer's unit tests and the
// end-to-end tests of ImportRestApi, PutRestApi and GetExport.

const AUTHORIZER_URI = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations';

/** Swagger 2.0: MOCK, HTTP and CORS methods, models referring to each other, a TOKEN authorizer, API keys, validators, gateway responses. */
export const petStoreSwagger = {
  swagger: '2.0',
  info: { title: 'PetShop', description: 'Pets, imported', version: '1.0' },
  basePath: '/v1',
  schemes: ['https'],
  'x-amazon-apigateway-binary-media-types': ['image/png', 'image/jpg'],
  'x-amazon-apigateway-request-validators': {
    all: { validateRequestBody: true, validateRequestParameters: true },
    params: { validateRequestBody: false, validateRequestParameters: true },
  },
  'x-amazon-apigateway-gateway-responses': {
    UNAUTHORIZED: { statusCode: 401, responseParameters: { 'gatewayresponse.header.X-Why': "'no token'" }, responseTemplates: { 'application/json': '{"why":"no token"}' } },
  },
  paths: {
    '/': {
      get: {
        produces: ['text/html'],
        security: [{ shopAuth: [] }],
        responses: { 200: { description: 'home', headers: { 'Content-Type': { type: 'string' } } } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseParameters: { 'method.response.header.Content-Type': "'text/html'" }, responseTemplates: { 'text/html': '<p>pets</p>' } } },
          passthroughBehavior: 'when_no_match',
        },
      },
    },
    '/pets': {
      get: {
        operationId: 'ListPets',
        produces: ['application/json'],
        parameters: [{ name: 'type', in: 'query', type: 'string' }, { name: 'page', in: 'query', required: true, type: 'string' }],
        security: [{ api_key: [] }],
        'x-amazon-apigateway-request-validator': 'params',
        responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pets' } } },
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'GET',
          uri: 'http://pets.example.com/pets',
          requestParameters: { 'integration.request.querystring.page': 'method.request.querystring.page', 'integration.request.header.x-flag': true },
          responses: { default: { statusCode: 200 }, '4\\d{2}': { statusCode: '400' } },
          timeoutInMillis: 5000,
        },
      },
      post: {
        operationId: 'CreatePet',
        consumes: ['application/json'],
        parameters: [{ in: 'body', name: 'NewPet', required: true, schema: { $ref: '#/definitions/NewPet' } }],
        responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"created": true}' } } },
        },
      },
    },
    '/pets/{petId}': {
      parameters: [{ name: 'petId', in: 'path', required: true, type: 'string' }],
      get: {
        operationId: 'GetPet',
        responses: { 200: { description: 'ok', schema: { $ref: '#/definitions/Pet' } } },
        'x-amazon-apigateway-integration': {
          type: 'http',
          httpMethod: 'GET',
          uri: 'http://pets.example.com/pets/{id}',
          requestParameters: { 'integration.request.path.id': 'method.request.path.petId' },
          responses: { default: { statusCode: '200' } },
        },
      },
    },
  },
  securityDefinitions: {
    api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    shopAuth: {
      type: 'apiKey', name: 'Authorization', in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: AUTHORIZER_URI, authorizerResultTtlInSeconds: 60 },
    },
  },
  'x-amazon-apigateway-request-validator': 'all',
  definitions: {
    Pets: { type: 'array', items: { $ref: '#/definitions/Pet' } },
    Pet: { type: 'object', description: 'A pet', properties: { id: { type: 'integer' }, type: { $ref: '#/definitions/PetType' }, price: { type: 'number' } } },
    NewPet: { type: 'object', required: ['type'], properties: { type: { $ref: '#/definitions/PetType' }, price: { type: 'number' } } },
    PetType: { type: 'string', enum: ['dog', 'cat', 'fish'] },
  },
};

/** OpenAPI 3.0 in YAML: a server URL with a variable, a greedy ANY method proxied to a Lambda function, a circular pair of models. */
export const itemsOpenApiYaml = (functionArn = 'arn:aws:lambda:us-east-1:000000000000:function:items') => `openapi: 3.0.1
info:
  title: Items
  version: "2.0"
servers:
  - url: https://example.com/{basePath}
    variables:
      basePath:
        default: base/part
paths:
  /items/{proxy+}:
    x-amazon-apigateway-any-method:
      parameters:
        - name: proxy
          in: path
          required: true
          schema:
            type: string
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations
  /people:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Person'
      responses:
        "201":
          description: created
          headers:
            Location:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/House'
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 201}'
        responses:
          default:
            statusCode: 201
components:
  schemas:
    Person:
      type: object
      required: [name]
      properties:
        name:
          type: string
        house:
          $ref: '#/components/schemas/House'
    House:
      type: object
      description: Where a Person lives
      properties:
        residents:
          type: array
          items:
            $ref: '#/components/schemas/Person'
`;
