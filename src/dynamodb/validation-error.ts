// The one error the DynamoDB request checks throw below the handlers (expressions, attribute
// values, keys): the handlers answer it as AWS does, `400 ValidationException` with this message.
export class DynamoDbValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DynamoDbValidationError';
  }
}
