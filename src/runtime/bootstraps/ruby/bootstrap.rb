# frozen_string_literal: true

# Stagecraft's Ruby runtime: the process that runs inside an execution environment for the ruby3.*
# runtimes. Standard library only (its directory alone is mounted at /var/runtime).
#
# It loads the handler as AWS's Ruby runtime does (`file.method` or `file.Module::Class.method`,
# called as `handler(event:, context:)`), runs the next -> invoke -> response/error loop over the
# HTTP Runtime API and reports errors in AWS's shapes (`Function<Class>`, `Init<Class>`); an error
# AWS's runtime treats as critical (NoMethodError, NameError, an Exception that is not a
# StandardError) ends the process after its answer, as there. Log records go as in stagecraft_logging.rb.
# A pre-started cell (stagecraft_cell.rb) gets this far, sets up logging and waits for its function.

require 'json'
require 'stringio'
require_relative 'stagecraft_cell'
require_relative 'stagecraft_context'
require_relative 'stagecraft_errors'
require_relative 'stagecraft_logging'
require_relative 'stagecraft_runtime_api'
require_relative 'stagecraft_trace_id'

$_global_aws_request_id = nil

# The handler named by _HANDLER, called the way AWS's runtime calls it.
class LambdaHandler
  attr_reader :handler_file_name, :handler_method_name

  def initialize(env_handler)
    parts = env_handler.split('.')
    case parts.size
    when 2 then @handler_file_name, @handler_method_name = parts
    when 3 then @handler_file_name, @handler_class, @handler_method_name = parts
    else
      raise ArgumentError, "Invalid handler #{parts}, must be of form FILENAME.METHOD or FILENAME.CLASS.METHOD where FILENAME " \
                           'corresponds with an existing Ruby source file FILENAME.rb, CLASS is an optional module/class ' \
                           'namespace and METHOD is a callable method. If using CLASS, METHOD must be a class-level method.'
    end
  end

  # The response body (JSON, or an IO's content as it is).
  def call_handler(event:, context:)
    response = if @handler_class
                 Kernel.const_get(@handler_class).send(@handler_method_name, event: event, context: context)
               else
                 __send__(@handler_method_name, event: event, context: context)
               end
    response.is_a?(IO) || response.is_a?(StringIO) ? response.read : response.to_json
  rescue NoMethodError, NameError => e
    raise StagecraftErrors::LambdaError.new(e, 'Function', critical: true)
  rescue StandardError => e
    raise StagecraftErrors::LambdaError.new(e, 'Function')
  rescue Exception => e # rubocop:disable Lint/RescueException -- AWS's runtime reports these too, then exits
    raise StagecraftErrors::LambdaError.new(e, 'Function', critical: true)
  end
end

def stagecraft_out_fd
  fd = Integer(ENV.delete('_STAGECRAFT_OUT_FD') || '', exception: false)
  fd && fd > 2 ? fd : nil
end

def stagecraft_invoke(api, handler, invocation)
  $_global_aws_request_id = invocation.request_id
  StagecraftTraceId.value = invocation.trace_id
  event = invocation.body.empty? ? nil : JSON.parse(invocation.body)
  api.response(invocation.request_id, handler.call_handler(event: event, context: LambdaContext.new(invocation)))
  true
rescue StagecraftErrors::LambdaError => e
  StagecraftLogging.log_error(e, e.critical ? 'Critical exception from handler' : 'Error raised from handler method')
  api.error(invocation.request_id, e)
  !e.critical
end

def stagecraft_main
  out_fd = stagecraft_out_fd
  cell_fd = StagecraftCell.in_fd
  StagecraftLogging.setup(out_fd)
  StagecraftCell.become_function(cell_fd, out_fd) if cell_fd && out_fd
  api = StagecraftRuntimeApi.new(ENV.fetch('AWS_LAMBDA_RUNTIME_API'))
  task_root = ENV.fetch('LAMBDA_TASK_ROOT', '/var/task')
  $LOAD_PATH.unshift(task_root) unless $LOAD_PATH.include?(task_root)
  begin
    handler = LambdaHandler.new(ENV.fetch('_HANDLER', ''))
    require handler.handler_file_name
  rescue Exception => e # rubocop:disable Lint/RescueException -- a load-time `exit` or syntax error is an init error too
    error = StagecraftErrors::LambdaError.new(e, 'Init')
    StagecraftLogging.log_error(error, "Init error when loading handler #{ENV.fetch('_HANDLER', '')}")
    api.init_error(error)
    exit(-4)
  end
  loop { break unless stagecraft_invoke(api, handler, api.next_invocation) }
  exit(-1)
end

stagecraft_main
