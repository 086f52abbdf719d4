# frozen_string_literal: true

require 'net/http'

# The HTTP Runtime API at AWS_LAMBDA_RUNTIME_API (`host:port` or `host:port/prefix`), over one
# kept-alive connection that is opened again when it breaks.
class StagecraftRuntimeApi
  # One invocation as /next hands it over.
  Invocation = Struct.new(:request_id, :deadline_ms, :arn, :trace_id, :client_context, :identity, :body)

  def initialize(endpoint)
    host_port, prefix = endpoint.split('/', 2)
    host, _, port = host_port.rpartition(':')
    @host = host
    @port = Integer(port)
    @base = "#{prefix ? "/#{prefix.chomp('/')}" : ''}/2018-06-01/runtime"
    @http = nil
  end

  def next_invocation
    res = request(Net::HTTP::Get.new("#{@base}/invocation/next"))
    raise "Runtime API /next answered #{res.code}" unless res.code == '200'

    Invocation.new(res['Lambda-Runtime-Aws-Request-Id'], res['Lambda-Runtime-Deadline-Ms'].to_i,
                   res['Lambda-Runtime-Invoked-Function-Arn'], res['Lambda-Runtime-Trace-Id'],
                   res['Lambda-Runtime-Client-Context'], res['Lambda-Runtime-Cognito-Identity'], res.body.to_s)
  end

  def response(request_id, body)
    post("/invocation/#{request_id}/response", body, 'Content-Type' => 'application/json')
  end

  def error(request_id, error)
    post("/invocation/#{request_id}/error", JSON.generate(error.to_lambda_response), 'Lambda-Runtime-Function-Error-Type' => error.header_type)
  end

  def init_error(error)
    post('/init/error', JSON.generate(error.to_lambda_response), 'Lambda-Runtime-Function-Error-Type' => error.header_type)
  end

  private

  def post(path, body, headers)
    req = Net::HTTP::Post.new(@base + path, headers)
    req.body = body
    request(req)
  end

  # No proxy: the function's HTTP_PROXY variables are for its own requests.
  def connect
    http = Net::HTTP.new(@host, @port, nil)
    http.read_timeout = nil # /next is held until an invocation comes
    http.keep_alive_timeout = 24 * 3600
    http.start
  end

  def request(req)
    attempts = 0
    begin
      @http ||= connect
      @http.request(req)
    rescue IOError, SystemCallError, Net::ProtocolError
      @http&.finish rescue nil # rubocop:disable Style/RescueModifier
      @http = nil
      attempts += 1
      retry if attempts < 2
      raise
    end
  end
end
