// What of AWS SAM's template specification `stagecraft deploy` implements, what it accepts but
// can't act on (reported as a warning), and what SAM has that we don't (reported as an error).
// Names outside all three lists are typos or inventions and get a "did you mean" suggestion.

export interface PropertyTable {
  /** Implemented. */
  supported: string[];
  /** Accepted and reported as having no effect here, with the reason. */
  ignored: Record<string, string>;
  /** Valid SAM, not implemented: the deploy refuses the template. */
  unsupported: string[];
  /** Why an unsupported property is refused, where saying so helps (e.g. what to use instead). */
  why?: Record<string, string>;
}

export const FUNCTION_TYPE = 'AWS::Serverless::Function';
export const API_TYPE = 'AWS::Serverless::Api';
export const LAYER_TYPE = 'AWS::Serverless::LayerVersion';
export const HTTP_API_TYPE = 'AWS::Serverless::HttpApi';

/** SAM's implicit API: the one Api events without RestApiId share, and its stage. */
export const IMPLICIT_API = 'ServerlessRestApi';
export const IMPLICIT_STAGE = 'Prod';
/** SAM's implicit HTTP API: the one HttpApi events without ApiId share, on its auto-deploying $default stage. */
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';
export const DEFAULT_HTTP_STAGE = '$default';

const NO_IAM = 'Stagecraft does not model IAM; functions may do what the host lets them';

export const FUNCTION_PROPERTIES: PropertyTable = {
  supported: [
    'FunctionName', 'CodeUri', 'InlineCode', 'Handler', 'Runtime', 'Environment', 'MemorySize', 'Timeout', 'Description',
    'AutoPublishAlias', 'AutoPublishAliasAllProperties', 'VersionDescription', 'Events', 'Role', 'Architectures', 'Tags',
    'ReservedConcurrentExecutions', 'PackageType', 'Layers', 'ProvisionedConcurrencyConfig', 'FunctionUrlConfig', 'EventInvokeConfig',
    'DeploymentPreference',
    // function-settings-spec.ts reads these; VpcConfig, DeadLetterQueue and SnapStart warn about what they don't do here.
    'EphemeralStorage', 'LoggingConfig', 'KmsKeyArn', 'VpcConfig', 'DeadLetterQueue', 'CodeSigningConfigArn', 'RecursiveLoop',
    'RuntimeManagementConfig', 'SnapStart', 'AutoPublishCodeSha256', 'VersionDeletionPolicy',
  ],
  ignored: {
    Policies: NO_IAM,
    PermissionsBoundary: NO_IAM,
    AssumeRolePolicyDocument: NO_IAM,
    RolePath: NO_IAM,
    Tracing: 'X-Ray tracing is not available',
    PropagateTags: 'only the function itself is tagged',
    SourceKMSKeyArn: 'code is stored as uploaded; Stagecraft has no KMS to encrypt it with a key of yours',
  },
  unsupported: [
    'FileSystemConfigs', 'ImageConfig', 'ImageUri', 'CapacityProviderConfig', 'FunctionScalingConfig', 'DurableConfig', 'TenancyConfig',
  ],
  why: {
    ImageUri: 'container image functions are not supported; deploy a Zip package (CodeUri or InlineCode)',
    ImageConfig: 'container image functions are not supported; deploy a Zip package (CodeUri or InlineCode)',
    FileSystemConfigs: 'there is no EFS to mount; functions can use the host file system under /tmp',
    CapacityProviderConfig: 'Lambda Managed Instances (capacity providers) are not available',
    FunctionScalingConfig: 'Lambda Managed Instances (capacity providers) are not available',
    DurableConfig: 'durable functions are not available',
    TenancyConfig: 'tenant isolation mode is not available',
  },
};

/** A function's DeploymentPreference (deployment-preference.ts reads the values); `stagecraft deploy` shifts the traffic itself. */
export const DEPLOYMENT_PREFERENCE_PROPERTIES: PropertyTable = {
  supported: ['Type', 'Enabled', 'Hooks', 'Alarms'],
  ignored: {
    TriggerConfigurations: 'there are no CodeDeploy deployment events to send to SNS; stagecraft deploy prints each step',
    Role: 'there is no CodeDeploy service role to assume: stagecraft deploy moves the alias itself',
    PassthroughCondition: 'no CodeDeploy resources are generated, so there is no condition to pass on',
  },
  unsupported: [],
};

/** DeploymentPreference.Hooks: functions CodeDeploy calls before and after shifting traffic. */
export const DEPLOYMENT_HOOKS_PROPERTIES: PropertyTable = { supported: ['PreTraffic', 'PostTraffic'], ignored: {}, unsupported: [] };

/** SAM's AWS::Serverless::LayerVersion (layer-spec.ts reads the values). */
export const LAYER_PROPERTIES: PropertyTable = {
  supported: [
    'LayerName', 'ContentUri', 'CompatibleRuntimes', 'CompatibleArchitectures', 'Description', 'LicenseInfo', 'RetentionPolicy', 'PublishLambdaVersion',
  ],
  ignored: {},
  unsupported: [],
};

export const API_PROPERTIES: PropertyTable = {
  supported: [
    'Name', 'StageName', 'Variables', 'Description', 'BinaryMediaTypes', 'Auth', 'Cors', 'Models', 'MethodSettings', 'AccessLogSetting', 'DefinitionBody', 'DefinitionUri',
    'DisableExecuteApiEndpoint', 'ApiKeySourceType', 'Tags', 'CacheClusterEnabled', 'CacheClusterSize', 'GatewayResponses',
    'CanarySetting', 'Domain', 'MinimumCompressionSize', 'Policy',
  ],
  ignored: {
    OpenApiVersion: 'Stagecraft builds the API from the function events or from the DefinitionBody as it is, and generates no OpenAPI document',
    FailOnWarnings: 'an OpenAPI document is put whole and its problems are errors either way',
    TracingEnabled: 'X-Ray tracing is not available',
    EndpointConfiguration: 'every API is served on the Stagecraft port',
    PropagateTags: 'API tags are not propagated',
  },
  unsupported: [
    'AlwaysDeploy', 'MergeDefinitions', 'Mode',
  ],
};

/** What a Domain's keys that have no effect here are ignored for (domain-spec.ts reads the others). */
const DOMAIN_IGNORED: Record<string, string> = {
  Route53: 'Stagecraft manages no DNS records: point the domain name at the server, or send it as the Host header',
  MutualTlsAuthentication: 'mutual TLS is not supported (the server speaks plain HTTP; TLS is for whatever fronts it)',
  OwnershipVerificationCertificateArn: 'ownership verification is not supported (certificates are stored, not checked)',
};

/** SAM's DomainConfiguration of an AWS::Serverless::Api. */
export const API_DOMAIN_PROPERTIES: PropertyTable = {
  supported: ['DomainName', 'CertificateArn', 'BasePath', 'EndpointConfiguration', 'SecurityPolicy', 'NormalizeBasePath'],
  ignored: { ...DOMAIN_IGNORED, EndpointAccessMode: 'the domain answers on the Stagecraft port whatever its access mode' },
  unsupported: ['AccessAssociation', 'Policy'],
  why: { AccessAssociation: 'private domain names are not supported', Policy: 'private domain names are not supported' },
};

/** SAM's HttpApiDomainConfiguration of an AWS::Serverless::HttpApi. */
export const HTTP_API_DOMAIN_PROPERTIES: PropertyTable = {
  supported: ['DomainName', 'CertificateArn', 'BasePath', 'EndpointConfiguration', 'SecurityPolicy'],
  ignored: DOMAIN_IGNORED,
  unsupported: [],
};

/** SAM's CanarySetting of an AWS::Serverless::Api. */
export const CANARY_SETTING_PROPERTIES: PropertyTable = {
  supported: ['PercentTraffic', 'StageVariableOverrides', 'UseStageCache'],
  ignored: { DeploymentId: 'the canary serves the deployment the stage serves, with its StageVariableOverrides' },
  unsupported: [],
};

export const API_EVENT_PROPERTIES: PropertyTable = {
  supported: ['Path', 'Method', 'RestApiId', 'TimeoutInMillis', 'Auth', 'RequestModel', 'RequestParameters'],
  ignored: {},
  unsupported: ['ResponseTransformer'],
};

/** SAM's AWS::Serverless::HttpApi (http-api-spec.ts reads the values). */
export const HTTP_API_PROPERTIES: PropertyTable = {
  supported: [
    'Name', 'StageName', 'StageVariables', 'Description', 'DisableExecuteApiEndpoint', 'Tags', 'CorsConfiguration', 'AccessLogSettings', 'Auth', 'DefaultRouteSettings', 'RouteSettings',
    'Domain', 'DefinitionBody', 'DefinitionUri', 'FailOnWarnings',
  ],
  ignored: {
    PropagateTags: 'API tags are not propagated',
  },
  unsupported: [],
};

/** An HttpApi event (SAM's HttpApi event source); without Path and Method it is the $default route. */
export const HTTP_API_EVENT_PROPERTIES: PropertyTable = {
  supported: ['ApiId', 'Path', 'Method', 'PayloadFormatVersion', 'TimeoutInMillis', 'Auth', 'RouteSettings'],
  ignored: {},
  unsupported: [],
};

/** An AWS::Serverless::HttpApi's Auth (SAM's HttpApiAuth). */
export const HTTP_API_AUTH_PROPERTIES: PropertyTable = {
  supported: ['Authorizers', 'DefaultAuthorizer', 'EnableIamAuthorizer'],
  ignored: {},
  unsupported: [],
};

/** One entry of an HttpApi's Auth.Authorizers: SAM's OAuth2Authorizer (JwtConfiguration) or LambdaAuthorizer (FunctionArn). */
export const HTTP_API_AUTHORIZER_PROPERTIES: PropertyTable = {
  supported: [
    'JwtConfiguration', 'IdentitySource', 'AuthorizationScopes',
    'FunctionArn', 'FunctionInvokeRole', 'Identity', 'AuthorizerPayloadFormatVersion', 'EnableSimpleResponses', 'EnableFunctionDefaultPermissions',
  ],
  ignored: {},
  unsupported: [],
};

/** A Lambda authorizer's Identity (SAM's LambdaAuthorizationIdentity). */
export const HTTP_API_AUTHORIZER_IDENTITY_PROPERTIES: PropertyTable = {
  supported: ['Headers', 'QueryStrings', 'StageVariables', 'Context', 'ReauthorizeEvery'], ignored: {}, unsupported: [],
};

/** An HttpApi event's Auth (SAM's HttpApiFunctionAuth). */
export const HTTP_API_EVENT_AUTH_PROPERTIES: PropertyTable = { supported: ['Authorizer', 'AuthorizationScopes'], ignored: {}, unsupported: [] };

/** An AWS::Serverless::Api's Auth (SAM's ApiAuth). */
export const API_AUTH_PROPERTIES: PropertyTable = {
  supported: ['Authorizers', 'DefaultAuthorizer', 'AddDefaultAuthorizerToCorsPreflight', 'ApiKeyRequired', 'AddApiKeyRequiredToCorsPreflight', 'UsagePlan', 'ResourcePolicy'],
  ignored: {},
  unsupported: ['InvokeRole'],
  why: {
    InvokeRole: 'integrations call functions through their resource policies, not a role',
  },
};

/** One entry of Auth.Authorizers: SAM's LambdaTokenAuthorizer / LambdaRequestAuthorizer, or CognitoAuthorizer (UserPoolArn). */
export const AUTHORIZER_PROPERTIES: PropertyTable = {
  supported: ['FunctionArn', 'FunctionInvokeRole', 'FunctionPayloadType', 'Identity', 'DisableFunctionDefaultPermissions', 'UserPoolArn', 'AuthorizationScopes'],
  ignored: {},
  unsupported: [],
};

/** An authorizer's Identity, per FunctionPayloadType (SAM's Lambda{Token,Request}AuthorizationIdentity). */
export const AUTHORIZER_IDENTITY_PROPERTIES: Record<'TOKEN' | 'REQUEST', PropertyTable> = {
  TOKEN: { supported: ['Header', 'ValidationExpression', 'ReauthorizeEvery'], ignored: {}, unsupported: [] },
  REQUEST: { supported: ['Headers', 'QueryStrings', 'StageVariables', 'Context', 'ReauthorizeEvery'], ignored: {}, unsupported: [] },
};

/** A Cognito authorizer's Identity (SAM's CognitoAuthorizationIdentity). */
export const COGNITO_AUTHORIZER_IDENTITY_PROPERTIES: PropertyTable = { supported: ['Header', 'ValidationExpression', 'ReauthorizeEvery'], ignored: {}, unsupported: [] };

/** An Api event's Auth (SAM's ApiFunctionAuth). */
export const API_EVENT_AUTH_PROPERTIES: PropertyTable = {
  supported: ['Authorizer', 'ApiKeyRequired', 'AuthorizationScopes', 'ResourcePolicy'],
  ignored: { OverrideApiAuth: 'it only matters with DefinitionBody, where stagecraft deploy takes no Api events' },
  unsupported: ['InvokeRole'],
  why: {
    InvokeRole: 'integrations call functions through their resource policies, not a role',
  },
};

/** Auth.UsagePlan (SAM's ApiUsagePlan); SAM refuses any other key. */
export const USAGE_PLAN_PROPERTIES = ['CreateUsagePlan', 'UsagePlanName', 'Description', 'Quota', 'Throttle', 'Tags'];

/** Authorizer names SAM gives a meaning of its own; AWS_IAM is supported for HttpApi routes (with EnableIamAuthorizer), not for Api methods. */
export const NO_AUTHORIZER = 'NONE';
export const IAM_AUTHORIZER = 'AWS_IAM';

/** SAM event source types other than Api, HttpApi and the services' (service-resource.ts SERVICE_EVENT_TYPES): valid SAM, not deployable here. */
export const UNSUPPORTED_EVENT_TYPES = [
  'Kinesis', 'DynamoDB', 'DocumentDB', 'MSK', 'MQ', 'SelfManagedKafka', 'ScheduleV2',
  'CloudWatchLogs', 'IoTRule', 'AlexaSkill', 'Cognito',
];

/** Properties SAM lets Globals set, per section. */
export const GLOBALS_SECTIONS: Record<string, { type: string; allowed: string[] }> = {
  Function: {
    type: FUNCTION_TYPE,
    allowed: [
      'Handler', 'Runtime', 'CodeUri', 'DeadLetterQueue', 'Description', 'MemorySize', 'Timeout', 'VpcConfig', 'Environment', 'Tags',
      'Tracing', 'KmsKeyArn', 'Layers', 'AutoPublishAlias', 'AutoPublishAliasAllProperties', 'DeploymentPreference', 'PermissionsBoundary',
      'ReservedConcurrentExecutions', 'ProvisionedConcurrencyConfig', 'AssumeRolePolicyDocument', 'EventInvokeConfig', 'Architectures',
      'EphemeralStorage', 'SnapStart', 'FunctionUrlConfig', 'RuntimeManagementConfig', 'LoggingConfig', 'RecursiveLoop', 'SourceKMSKeyArn',
      'PropagateTags', 'CodeSigningConfigArn', 'VersionDescription', 'Role', 'Policies', 'PackageType', 'FileSystemConfigs',
    ],
  },
  Api: {
    type: API_TYPE,
    allowed: [
      'Auth', 'Name', 'DefinitionUri', 'CacheClusterEnabled', 'CacheClusterSize', 'MergeDefinitions', 'Variables', 'EndpointConfiguration',
      'MethodSettings', 'BinaryMediaTypes', 'MinimumCompressionSize', 'Cors', 'GatewayResponses', 'AccessLogSetting', 'CanarySetting',
      'TracingEnabled', 'OpenApiVersion', 'Domain', 'AlwaysDeploy', 'PropagateTags', 'Description', 'StageName',
    ],
  },
  HttpApi: {
    type: HTTP_API_TYPE,
    allowed: [
      'Auth', 'AccessLogSettings', 'StageVariables', 'Tags', 'RouteSettings', 'DefaultRouteSettings', 'CorsConfiguration', 'Domain',
      'FailOnWarnings', 'DisableExecuteApiEndpoint', 'PropagateTags',
    ],
  },
  LayerVersion: { type: LAYER_TYPE, allowed: ['PublishLambdaVersion'] },
};

/** Globals sections SAM has that we don't deploy. */
export const UNSUPPORTED_GLOBALS = ['SimpleTable', 'StateMachine', 'CapacityProvider'];

export const TOP_LEVEL = {
  supported: ['AWSTemplateFormatVersion', 'Transform', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Globals', 'Resources', 'Outputs'],
  unsupported: ['Rules', 'Hooks'],
};

export const RESOURCE_ATTRIBUTES = {
  supported: ['Type', 'Properties', 'Condition', 'DependsOn', 'Metadata', 'DeletionPolicy'],
  ignored: {
    UpdateReplacePolicy: 'stagecraft deploy updates resources in place',
  } as Record<string, string>,
  unsupported: ['CreationPolicy', 'UpdatePolicy', 'IgnoreServerlessTransform'],
};

export const PARAMETER_ATTRIBUTES = [
  'Type', 'Default', 'AllowedValues', 'AllowedPattern', 'Description', 'MinLength', 'MaxLength', 'MinValue', 'MaxValue', 'NoEcho', 'ConstraintDescription',
];

/** The template parameter types whose values are Parameter Store names (dynamic-references.ts reads them). */
export const SSM_PARAMETER_TYPES = ['AWS::SSM::Parameter::Value<String>', 'AWS::SSM::Parameter::Value<List<String>>', 'AWS::SSM::Parameter::Value<CommaDelimitedList>'];
export const PARAMETER_TYPES = ['String', 'Number', 'List<Number>', 'CommaDelimitedList', ...SSM_PARAMETER_TYPES];

export const OUTPUT_ATTRIBUTES = { supported: ['Value', 'Description', 'Condition', 'Export'], ignored: {} as Record<string, string> };

/** Known but undeployable resource families get a hint about what we do deploy. */
export const SUPPORTED_RESOURCE_TYPES = [FUNCTION_TYPE, API_TYPE, HTTP_API_TYPE, LAYER_TYPE];

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** The Lambda runtimes AWS accepts today (retired ones are refused, as AWS does). */
export const LAMBDA_RUNTIMES = [
  'nodejs24.x', 'nodejs22.x', 'nodejs20.x', 'nodejs18.x', 'nodejs16.x',
  'python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3.9', 'python3.8',
  'provided.al2023', 'provided.al2',
  'java25', 'java21', 'java17', 'java11', 'java8.al2', 'dotnet10', 'dotnet8', 'dotnet6', 'ruby3.4', 'ruby3.3', 'ruby3.2',
];

/** Runtimes Stagecraft can execute (others deploy, for fidelity, but can't be invoked). */
export function executableRuntime(runtime: string): boolean {
  return runtime.startsWith('nodejs') || runtime.startsWith('python3') || runtime.startsWith('ruby3') || runtime.startsWith('provided');
}

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::StackId', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::NoValue', 'AWS::NotificationARNs',
];
