# frozen_string_literal: true

# The context object a handler gets (`handler(event:, context:)`), with the fields and methods of
# AWS's Ruby runtime: identity and client_context are the parsed headers (Hashes) or nil.
class LambdaContext
  attr_reader :aws_request_id, :invoked_function_arn, :log_group_name,
              :log_stream_name, :function_name, :memory_limit_in_mb, :function_version,
              :identity, :client_context, :deadline_ms

  def initialize(invocation)
    @aws_request_id = invocation.request_id
    @invoked_function_arn = invocation.arn
    @deadline_ms = invocation.deadline_ms
    @log_group_name = ENV['AWS_LAMBDA_LOG_GROUP_NAME']
    @log_stream_name = ENV['AWS_LAMBDA_LOG_STREAM_NAME']
    @function_name = ENV['AWS_LAMBDA_FUNCTION_NAME']
    @memory_limit_in_mb = ENV['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
    @function_version = ENV['AWS_LAMBDA_FUNCTION_VERSION']
    @identity = JSON.parse(invocation.identity) if invocation.identity
    @client_context = JSON.parse(invocation.client_context) if invocation.client_context
  end

  def get_remaining_time_in_millis
    remaining = @deadline_ms - Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond)
    remaining.positive? ? remaining : 0
  end
end
