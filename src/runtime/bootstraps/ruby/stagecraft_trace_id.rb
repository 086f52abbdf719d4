# frozen_string_literal: true

# Each invocation's _X_AMZN_TRACE_ID, visible through ENV as on AWS but never handed to the C
# library: ENV[]= calls setenv(3), which keeps every string it was given, so a warm environment
# would grow by ~150 bytes per invocation until its memory limit stopped it. ENV answers for this
# one variable itself; processes the function starts do not inherit it (pass it explicitly).
module StagecraftTraceId
  KEY = '_X_AMZN_TRACE_ID'

  class << self
    attr_accessor :value
  end

  def [](key)
    key == KEY ? StagecraftTraceId.value : super
  end

  def []=(key, value)
    return super unless key == KEY

    StagecraftTraceId.value = value
  end
  alias store []=

  def fetch(key, *default, &block)
    return super unless key == KEY
    return StagecraftTraceId.value unless StagecraftTraceId.value.nil?
    return yield(key) if block
    return default.first unless default.empty?

    raise KeyError.new("key not found: #{key.inspect}", receiver: self, key: key)
  end

  def key?(key)
    key == KEY ? !StagecraftTraceId.value.nil? : super
  end
  alias include? key?
  alias has_key? key?
  alias member? key?

  def delete(key)
    return super unless key == KEY

    StagecraftTraceId.value.tap { StagecraftTraceId.value = nil }
  end

  def to_hash
    with_trace_id(super)
  end

  def to_h(&block)
    block ? with_trace_id(super()).to_h(&block) : with_trace_id(super)
  end

  private

  def with_trace_id(hash)
    StagecraftTraceId.value.nil? ? hash : hash.merge(KEY => StagecraftTraceId.value)
  end

  ENV.singleton_class.prepend(self)
end
