# frozen_string_literal: true

require 'logger'

# Log records as AWS's Ruby runtime writes them. AWS's runtime sends each record to the platform
# as one frame (its telemetry fd); here they are 'L' frames on the private channel's fd 4 when the
# platform gives one (_STAGECRAFT_OUT_FD; see src/runtime/channel.ts), so a record with newlines
# stays one log event. Records: each Kernel#puts call, Logger records for $stdout / $stderr (AWS's
# formats: text, or JSON with AWS_LAMBDA_LOG_FORMAT=JSON), and the runtime's error reports.
# $stdout.write, print, $stderr and child processes stay plain output, as on AWS.
module StagecraftLogging
  # Where records go: frames on fd 4, else stdout.
  class Sink
    def initialize(io)
      @io = io
      @mutex = Mutex.new
    end

    def write(record)
      text = record.to_s.encode('UTF-8', invalid: :replace, undef: :replace)
      return $stdout.write(text.end_with?("\n") ? text : "#{text}\n") if @io.nil?

      # The platform ends each text record with a newline of its own.
      text = text.chomp("\n")
      @mutex.synchronize { @io.write("L #{text.bytesize} {}\n", text) }
    rescue IOError, SystemCallError
      @io = nil
      $stdout.write("#{text}\n")
    end

    # Logger's LogDevice wraps the sink and may call these.
    def reopen(_log = nil)
      self
    end

    def close; end
  end

  # `I, [2026-01-01T00:00:00.000000 #7]  INFO <request id> -- progname: message`
  class TextFormatter < Logger::Formatter
    def call(severity, time, progname, msg)
      format("%s, [%s #%d] %5s %s -- %s: %s\n", severity[0], time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6N'), $$, severity,
             $_global_aws_request_id, progname, msg2str(msg))
    end
  end

  # One JSON object per record: timestamp, level, message, requestId, logger (the progname) and,
  # for an exception, errorType, errorMessage, stackTrace and location.
  class JsonFormatter < Logger::Formatter
    def call(severity, time, progname, msg)
      record = { timestamp: time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ'), level: severity,
                 message: msg.is_a?(Exception) ? msg.message : msg2str(msg), requestId: $_global_aws_request_id }
      record[:logger] = progname.to_s unless progname.nil? || progname.to_s.empty?
      if msg.is_a?(Exception)
        record.merge!(errorType: msg.class.to_s, errorMessage: msg.message, stackTrace: Array(msg.backtrace))
        record[:location] = StagecraftLogging.location(msg.backtrace&.first)
      end
      "#{JSON.generate(record.compact)}\n"
    end
  end

  def self.location(line)
    match = line && line.match(/\A(?<file>.+):(?<line>\d+):in [`'](?<method>.+)'\z/)
    match ? "#{match[:file]}:#{match[:method]}:#{match[:line]}" : line
  end

  class << self
    attr_reader :sink

    def json?
      ENV.fetch('AWS_LAMBDA_LOG_FORMAT', '').casecmp?('JSON')
    end

    # AWS's levels in Logger's names (TRACE is DEBUG there); nil when unset or unknown.
    def level
      name = ENV.fetch('AWS_LAMBDA_LOG_LEVEL', '').upcase
      name = 'DEBUG' if name == 'TRACE'
      %w[DEBUG INFO WARN ERROR FATAL].include?(name) ? name.downcase.to_sym : nil
    end

    def setup(out_fd)
      @sink = Sink.new(out_fd && IO.new(out_fd, 'wb', autoclose: false).tap { |io| io.sync = true })
      Logger.prepend(LoggerPatch)
      Kernel.prepend(PutsPatch) if out_fd
      # Functions that replace $stdout see plain output again, as on AWS.
      $stdout.sync = true
    end

    # What AWS's runtime logs for an error: a line saying where it came from, then the error as
    # pretty JSON (text); one JSON record with AWS_LAMBDA_LOG_FORMAT=JSON.
    def log_error(error, message)
      response = error.to_lambda_response
      if json?
        @sink.write(JSON.generate({ timestamp: Time.now.utc.strftime('%Y-%m-%dT%H:%M:%SZ'), level: 'ERROR', **response,
                                    requestId: $_global_aws_request_id }.compact))
      else
        @sink.write(message)
        @sink.write(JSON.pretty_generate(response))
      end
    end
  end

  # Logger.new($stdout) or Logger.new($stderr) (or nil) writes records to the sink in AWS's format.
  module LoggerPatch
    def initialize(logdev, *args, **kwargs)
      return super unless logdev.nil? || logdev == $stdout || logdev == $stderr

      level = StagecraftLogging.level
      kwargs[:level] ||= level if level
      super(StagecraftLogging.sink, *args, **kwargs)
      # After Logger's own initialize, which sets its default formatter.
      @default_formatter = StagecraftLogging.json? ? JsonFormatter.new : TextFormatter.new
    end
  end

  # Kernel#puts (not $stdout.puts): its lines, joined, as one record.
  module PutsPatch
    private

    def puts(*args)
      return super unless $stdout.equal?(STDOUT)

      StagecraftLogging.sink.write(args.flatten.map(&:to_s).join("\n"))
      nil
    end
  end
end
